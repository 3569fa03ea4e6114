# Complete one command line as bash does on Tab: source the script, find the function it
# registered for kraken-doctor (`complete -p`), set COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT,
# call it as bash calls it (command, word, previous word) and print COMPREPLY, one per line.
# Usage: bash --norc --noprofile complete.bash SCRIPT LINE
source "$1" || exit 3
line=$2
spec=$(complete -p kraken-doctor) || exit 4
fn=${spec#*-F }
fn=${fn%% *}
read -ra COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
prev=""
((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "$prev"
printf '%s\n' "${COMPREPLY[@]}"
