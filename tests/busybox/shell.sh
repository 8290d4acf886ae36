# The shell itself: echo, variables, $?, test, arithmetic, quoting,
# functions, loops, case, subshells and command substitution.
echo hello world
echo -n no newline; echo
printf '%s=%d\n' answer 42
true; echo "true: $?"
false; echo "false: $?"
(exit 7); echo "subshell exit: $?"
! false; echo "negated: $?"
x=outer
(x=inner; echo "in subshell: $x")
echo "after subshell: $x"
{ x=group; }; echo "after group: $x"
echo "arith: $((6 * 7)) $((17 % 5)) $(((1 << 10) - 1))"
echo "subst: $(echo nested $(echo twice))"
echo "backticks: `echo old style`"
s="a b  c"
echo "quoted: [$s]" unquoted: [$s]
echo 'single $s' "double \$s"
set -- one two three
echo "args: $# $1 $3 $*"
shift; echo "shifted: $@"
f() { echo "f got $# args: $*"; return 5; }
f x y; echo "f returned $?"
for i in 1 2 3; do echo "for $i"; done
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "while: $i"
until [ $i -eq 0 ]; do i=$((i - 1)); done; echo "until: $i"
for w in apple banana cherry; do
	case $w in
	a*) echo "$w starts with a" ;;
	*an*) echo "$w has an" ;;
	*) echo "$w: other" ;;
	esac
done
test 3 -gt 2 && echo "3 > 2"
[ "abc" = "abc" ] && echo "strings equal"
[ -z "" ] && [ -n "x" ] && echo "empty and non-empty"
[ 1 -eq 2 ] || echo "1 != 2"
test ! -e /no/such/file && echo "no such file"
[ -d / ] && [ -f /bin/busybox ] && [ -x /bin/busybox ] && echo "dir, file, exec"
echo "${undefined:-default} ${#s} ${s%% *} ${s#a }"
v=abcabc; echo "${v%c*} ${v##*b}"
nosuchcommand 2>/dev/null; echo "not found: $?"
sh -c 'exit 9'; echo "sh -c: $?"
echo done
