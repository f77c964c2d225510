#!/bin/bash
# update-po.sh: regenerate the translation template po/joren.pot from the
# files listed in po/POTFILES.in and merge it into every language in
# po/LINGUAS. C sources are scanned with the glib keyword set (_, N_, C_,
# NC_, g_dngettext, ngettext; notes tagged TRANSLATORS: or Translators:);
# .ui, .desktop.in and .metainfo.xml.in files are recognised by xgettext
# itself (the GtkBuilder, Desktop and MetaInfo rules). Running it twice changes nothing: the template is only replaced
# when a message changed, not when just its creation date would.
#
# Usage: scripts/update-po.sh             update po/joren.pot and po/*.po
#        scripts/update-po.sh --pot FILE  only write the template to FILE
#                                         (tests/test-po.sh, leaves the tree)
set -euo pipefail

srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
podir="$srcdir/po"
domain=joren

# Lines of POTFILES.in without comments and blanks, in their sorted order.
list_sources () {
  sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$podir/POTFILES.in"
}

project_version () {
  sed -n "s/^[[:space:]]*version:[[:space:]]*'\([^']*\)'.*/\1/p" \
    "$srcdir/meson.build" | head -n 1
}

# run_xgettext ARGS...: xgettext without its complaint that there is no
# bug-report address (Joren has none yet); every other diagnostic shows.
run_xgettext () {
  local err status=0
  err=$(xgettext "$@" 2>&1) || status=$?
  [[ -z $err ]] || grep -v -e 'msgid-bugs-address' -e "'Makevars' file" \
    -e 'MSGID_BUGS_ADDRESS' <<<"$err" >&2 || true
  return "$status"
}

# make_pot OUT: extract every translatable message into OUT.
make_pot () {
  local out=$1 c_files=() other_files=() f
  while IFS= read -r f; do
    case $f in
      *.c|*.h) c_files+=("$f") ;;
      *) other_files+=("$f") ;;
    esac
  done < <(list_sources)

  local common=(--from-code=UTF-8
                --package-name="$domain" --package-version="$(project_version)"
                --directory="$srcdir" --output="$out")
  # Start from a header-only file so both passes can --join-existing even
  # when one of the lists is empty.
  run_xgettext "${common[@]}" --force-po --language=C /dev/null
  # Notes for translators start "TRANSLATORS:" in Joren's code and
  # "Translators:" in GNOME's; xgettext takes one tag per run, and a second
  # run joined to the first adds the other's notes without duplicates.
  local tag
  for tag in ${c_files[@]+TRANSLATORS Translators}; do
    run_xgettext "${common[@]}" --join-existing --language=C \
      --add-comments="$tag" \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
      --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format \
      --flag=g_dngettext:2:pass-c-format \
      "${c_files[@]}"
  done
  if ((${#other_files[@]})); then
    run_xgettext "${common[@]}" --join-existing "${other_files[@]}"
  fi
}

# same_pot A B: true when A and B differ at most in POT-Creation-Date.
same_pot () {
  [[ -f $1 && -f $2 ]] &&
    cmp -s <(grep -v '^"POT-Creation-Date:' "$1") \
           <(grep -v '^"POT-Creation-Date:' "$2")
}

merge_language () {
  local lang=$1 po="$podir/$1.po"
  if [[ -f $po ]]; then
    msgmerge --quiet --update --backup=none --previous "$po" "$podir/$domain.pot"
  else
    msginit --no-translator --locale="$lang.UTF-8" \
      --input="$podir/$domain.pot" --output-file="$po"
  fi
}

main () {
  if [[ ${1-} == --pot ]]; then
    make_pot "${2:?--pot needs an output file}"
    return
  fi
  local lang
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  make_pot "$tmp/$domain.pot"
  if ! same_pot "$tmp/$domain.pot" "$podir/$domain.pot"; then
    cp "$tmp/$domain.pot" "$podir/$domain.pot"
  fi
  for lang in $(sed -e 's/#.*//' "$podir/LINGUAS"); do
    merge_language "$lang"
  done
}

main "$@"
