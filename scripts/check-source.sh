#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The source rules of the harness that make unit checks:
# - its stages include only downwards: a file of harness/<stage>/ may
#   include headers of its own stage and of the stages before it in
#     proto lib parse report build vm plan run cli
#   (harness/tests/ may include anything; proto/ and plugin/ are plain C
#   the guest agent and the TCG plugin share with the harness);
# - no libc call that is not thread-safe where a thread-safe one exists
#   (lanes are threads): strsignal, strtok, localtime, gmtime, ctime,
#   readdir_r's ancestors... (see BANNED).
# Prints each line that breaks a rule and fails; one line when none does.
set -u
cd "$(dirname "$0")/.." || exit 2

rank() {
	case "$1" in
	proto | plugin) echo 0 ;; lib) echo 1 ;; parse) echo 2 ;; report) echo 3 ;;
	build) echo 4 ;; vm) echo 5 ;; plan) echo 6 ;; run) echo 7 ;; cli) echo 8 ;;
	*) echo -1 ;;
	esac
}

bad=0
files=0
for f in harness/*/*.[ch]; do
	stage=${f#harness/}
	stage=${stage%%/*}
	[ "$stage" = tests ] && continue
	own=$(rank "$stage")
	if [ "$own" -lt 0 ]; then
		echo "check-source: $f: harness/$stage/ is not a stage"
		bad=$((bad + 1))
		continue
	fi
	files=$((files + 1))
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		case "$inc" in
		*/*) ;;
		*)
			echo "check-source: $f: #include \"$inc\" names no stage (write \"<stage>/$inc\")"
			bad=$((bad + 1))
			continue ;;
		esac
		to=$(rank "${inc%%/*}")
		if [ "$to" -lt 0 ] || [ "$to" -gt "$own" ]; then
			echo "check-source: $f: #include \"$inc\" goes up (from $stage to ${inc%%/*})"
			bad=$((bad + 1))
		fi
	done
done
# Not thread-safe, with a thread-safe replacement.
BANNED='strsignal|strtok|localtime|gmtime|ctime|asctime|getpwnam|getpwuid|rand|srand'
while IFS= read -r hit; do
	echo "check-source: ${hit%%:*}: not thread-safe: ${hit#*:}"
	bad=$((bad + 1))
done < <(grep -nE "(^|[^a-z_])($BANNED)\(" harness/*/*.c | grep -v '^harness/tests/' |
	 sed 's/^\([^:]*:[0-9]*\):/\1: /')

if [ "$bad" -ne 0 ]; then
	echo "check-source: $bad lines break the rules above"
	exit 1
fi
echo "check-source: $files files of harness/ include only their own or lower stages and call no thread-unsafe libc function"
