# Files and directories: mkdir -p, cp, mv, rm -r, ln -s, ln, cat, ls -l
# (modes, links, sizes and names only: no dates, owners or inode
# numbers), find, readlink, touch, chmod, test.
umask 022
# ls -l without dates: mode, links, size, name (directories: mode, name)
lsl() {
	ls -l "$@" | awk '$1 ~ /^d/ { print $1, $9; next }
		/^total/ { next }
		{ print $1, $2, $5, $9, $10, $11 }'
}
mkdir -p a/b/c
mkdir a/b/c 2>&1; echo "mkdir existing: $?"
mkdir -p a/b/c; echo "mkdir -p existing: $?"
echo "first file" > a/one.txt
printf 'line1\nline2\nline3\n' > a/b/two.txt
cat a/one.txt a/b/two.txt
cp a/one.txt a/copy.txt
cmp a/one.txt a/copy.txt && echo "cp: same bytes"
cp -r a d
find d | sort
mv a/copy.txt a/moved.txt
[ ! -e a/copy.txt ] && [ -f a/moved.txt ] && echo "mv: renamed"
mv a/moved.txt a/b/c/
ls a/b/c
ln -s one.txt a/link
readlink a/link
cat a/link
ln a/one.txt a/hard
chmod 600 a/b/two.txt
chmod 755 a/b/c/moved.txt
: > a/empty  # not touch: utimensat is not implemented yet
lsl a
lsl a/b
[ -L a/link ] && [ -h a/link ] && echo "test: symlink"
[ -s a/one.txt ] && [ ! -s a/empty ] && echo "test: sizes"
rm a/link
[ ! -e a/link ] && [ -e a/one.txt ] && echo "rm: only the link"
ln -s /nonexistent a/dangling
cat a/dangling 2>&1
rm -r d
[ ! -e d ] && echo "rm -r: gone"
rmdir a/b 2>&1
rm -rf a
ls
cat missing.txt 2>&1; echo "cat missing: $?"
rm missing.txt 2>&1; echo "rm missing: $?"
rm -f missing.txt; echo "rm -f missing: $?"
mkdir x; echo data > x/f; cd x; cat f; cd ..; rm -r x
find . -type f | wc -l
echo done
