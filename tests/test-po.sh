#!/bin/bash
# test-po.sh PODIR: fails when a language in PODIR/LINGUAS does not translate
# every message the sources hold right now. The template is regenerated from
# POTFILES.in into a temporary directory (scripts/update-po.sh --pot), each
# .po is merged against it there, and `msgfmt --check` must pass with no
# fuzzy and no untranslated message; the tree is never written. So a new _()
# string or translatable="yes" label fails the unit suite until ja, zh_TW and
# de translate it. Prints TAP: one test per language, missing msgids as
# diagnostics, and one that no msgid was cut short by a format macro.
set -u

podir=${1:?usage: test-po.sh PODIR}
podir=$(cd "$podir" && pwd)
srcdir=$(dirname "$podir")
# msgfmt's statistics line is parsed below: keep it in English.
export LC_ALL=C LANGUAGE=

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool (gettext) is not installed"
    exit 0
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! bash "$srcdir/scripts/update-po.sh" --pot "$tmp/joren.pot" 2>"$tmp/xgettext.log"; then
  echo "Bail out! xgettext could not extract the messages:"
  sed 's/^/# /' "$tmp/xgettext.log"
  exit 1
fi

# count WORD STATS: the number before WORD in msgfmt's statistics, or 0.
count () {
  grep -o "[0-9]\+ $1" <<<"$2" | grep -o '^[0-9]\+' || echo 0
}

# list_missing PO: the msgids that are fuzzy or untranslated, as diagnostics.
list_missing () {
  { msgattrib --no-wrap --only-fuzzy "$1"; msgattrib --no-wrap --untranslated "$1"; } |
    sed -n 's/^msgid "\(..*\)"$/#   \1/p' | head -n 20
}

# check_language N LANG: prints one TAP line; returns non-zero on failure.
check_language () {
  local n=$1 lang=$2 po="$podir/$2.po" merged="$tmp/$2.po" stats
  local translated fuzzy untranslated
  if [[ ! -f $po ]]; then
    echo "not ok $n - $lang: $po is missing"
    return 1
  fi
  if ! msgmerge --quiet --output-file="$merged" "$po" "$tmp/joren.pot" 2>"$tmp/merge.log"; then
    echo "not ok $n - $lang: msgmerge failed"
    sed 's/^/# /' "$tmp/merge.log"
    return 1
  fi
  if ! stats=$(msgfmt --check --statistics -o /dev/null "$merged" 2>&1); then
    echo "not ok $n - $lang: msgfmt --check failed"
    sed 's/^/# /' <<<"$stats"
    return 1
  fi
  translated=$(count translated "$stats")
  fuzzy=$(count fuzzy "$stats")
  untranslated=$(count untranslated "$stats")
  if ((fuzzy > 0 || untranslated > 0 || translated == 0)); then
    echo "not ok $n - $lang: $translated translated, $fuzzy fuzzy, $untranslated untranslated"
    echo "# run scripts/update-po.sh, then translate in po/$lang.po:"
    list_missing "$merged"
    return 1
  fi
  if ! grep -q "^\"Language: $lang\\\\n\"" "$po"; then
    echo "not ok $n - $lang: the Language header is not \"$lang\""
    return 1
  fi
  echo "ok $n - $lang: all $translated messages translated"
}

# check_extraction N: a msgid cut short (e.g. by G_GINT64_FORMAT inside
# _(), which xgettext cannot expand) is never looked up at run time, however
# well it is translated. xgettext warns about it: fail on that warning.
check_extraction () {
  if grep -q 'not a valid C format string' "$tmp/xgettext.log"; then
    echo "not ok $1 - every message is extracted whole"
    echo "# use PRId64/PRIu64 from <inttypes.h>, not G_G*_FORMAT, inside _():"
    grep 'not a valid C format string' "$tmp/xgettext.log" | sort -u | sed 's/^/# /'
    return 1
  fi
  echo "ok $1 - every message is extracted whole"
}

langs=($(sed -e 's/#.*//' "$podir/LINGUAS"))
echo "1..$((${#langs[@]} + 1))"
status=0
n=0
for lang in "${langs[@]}"; do
  n=$((n + 1))
  check_language "$n" "$lang" || status=1
done
check_extraction $((n + 1)) || status=1
exit "$status"
