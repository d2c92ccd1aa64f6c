test_libvirt_xml_DEPS := libvirt_xml
