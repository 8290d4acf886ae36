# Text tools: wc, grep, sed, sort, uniq, head, tail, tr, cut, xargs,
# awk, seq, od on files made here.
cat > fruit <<'END'
banana 3 yellow
apple 10 red
cherry 7 red
apple 2 green
date 5 brown
banana 1 green
END
wc -l < fruit
wc -w < fruit
wc -c < fruit
wc fruit
grep apple fruit
grep -c red fruit
grep -v e fruit
grep -n '^b' fruit
grep -i APPLE fruit | head -1
grep -E 'red|brown' fruit
grep -q cherry fruit && echo "grep -q found"
grep nothing fruit; echo "grep no match: $?"
sed 's/red/RED/' fruit
sed -n '2,3p' fruit
sed '/green/d' fruit
sed -e 's/a/A/g' -e '1q' fruit
sort fruit
sort -k2 -n fruit
sort -r fruit | head -2
cut -d' ' -f1 fruit | sort | uniq
cut -d' ' -f1 fruit | sort | uniq -c
cut -d' ' -f1 fruit | sort | uniq -d
cut -c1-3 fruit
head -n 2 fruit
tail -n 2 fruit
tail -n +5 fruit
tr a-z A-Z < fruit | head -1
tr -d aeiou < fruit | tail -1
echo "a:b:c" | tr : '\n'
echo hello | tr -s l
seq 1 5 | xargs echo
seq 1 6 | xargs -n 2 echo pair
printf 'x\ny\n' | xargs -I{} echo "item {}"
awk '{ sum += $2 } END { print "total", sum }' fruit
awk '$3 == "red" { print $1 }' fruit
seq 10 | sed -n '$p'
printf 'abc' | od -c | head -1
echo done
