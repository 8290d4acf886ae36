# Pipelines, redirections, here-documents and subshells: the shell's
# plumbing on pipes and fds.
echo one | cat
echo two | cat | cat | cat | cat
seq 1 5 | tac | head -3
seq 1 20000 | sort -n -r | head -n 3
seq 1 100000 | wc -l
yes keel | head -n 4
dd if=/dev/zero bs=1024 count=300 2>/dev/null | wc -c
seq 1 3 | while read n; do echo "read $n"; done
echo first > out
echo second >> out
cat out
cat < out | wc -l
echo to-stderr 1>&2 2>/dev/null
{ echo both; echo err >&2; } > all 2>&1
cat all
ls /no/such 2>/dev/null; echo "stderr dropped: $?"
ls /no/such 2>&1 | sed 's/^/captured: /'
exec 3> fd3
echo via-fd3 >&3
exec 3>&-
cat fd3
exec 4< out
read line <&4
echo "fd4: $line"
exec 4<&-
cat <<END
here-document with $((1 + 1)) expansions
	and a tab
END
cat <<'END'
quoted: $HOME $(echo not run)
END
cat <<-END
	leading tabs stripped
	END
x=$(cat <<END
inside
END
)
echo "captured: $x"
(echo sub1; echo sub2) | sort -r
(cd /; pwd)
echo "$(echo a; echo b)" | wc -l
true | false; echo "pipeline status: $?"
false | true; echo "pipeline status: $?"
echo abc > in; tr a-c A-C < in > outf; cat outf
set -o noclobber 2>/dev/null; echo x > in 2>/dev/null || echo "noclobber kept in"; set +o noclobber
echo done
