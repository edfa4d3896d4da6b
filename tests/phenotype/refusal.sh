# refusal.sh: sourced by run.sh and run_code.sh (which set compile, work,
# count and fail). check_refused SRC-YAML RUN-DIR [FLAGS...] compiles
# RUN-DIR/<name>.yaml (name from SRC-YAML) with FLAGS and requires exit
# status 1, no output file left behind, and a stderr that is exactly the
# .expect beside SRC-YAML, or one line matching its .expect-re.
check_refused() {
	local yaml=$1 dir=$2 name status re
	shift 2
	name=$(basename "$yaml" .yaml)
	count=$((count + 1))
	(cd "$dir" && "$compile" "$@" -o "$work/$name.pbin" "$name.yaml") 2>"$work/$name.err" >/dev/null
	status=$?
	[ "$status" = 1 ] || { fail "$name: exit status $status, expected 1"; return; }
	ls "$work/$name".pbin* >/dev/null 2>&1 && { fail "$name: an output file was left behind"; return; }
	if [ -f "${yaml%.yaml}.expect" ]; then
		if ! diff -u "${yaml%.yaml}.expect" "$work/$name.err" >"$work/$name.diff"; then
			fail "$name: stderr differs:"; cat "$work/$name.diff"
		fi
	else
		re=$(cat "${yaml%.yaml}.expect-re")
		if [ "$(wc -l <"$work/$name.err")" != 1 ] || ! grep -qE "$re" "$work/$name.err"; then
			fail "$name: expected one line matching /$re/, got:"; cat "$work/$name.err"
		fi
	fi
}
