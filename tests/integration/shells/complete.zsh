# Complete one command line in a real interactive zsh, driven through zsh/zpty: compinit, the
# script sourced, Tab bound to complete-word. compadd is wrapped so that every match the
# completion system adds is printed as `KD-MATCH:<match>`; after the completion, `KD-END`.
# Usage: zsh -f complete.zsh SCRIPT DUMPFILE LINE
zmodload zsh/zpty || exit 3
script=$1 dump=$2 line=$3
zpty kd zsh -f -i
zpty -w kd "PS1= PROMPT= RPROMPT=; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w kd "autoload -Uz compinit && compinit -u -d ${(q)dump}"
zpty -w kd "source ${(q)script}"
# Matching is compadd's own (-A collects what matched what was typed); calls that only query
# (-O, -A, -D) pass through. The markers are built at run time so the echoed input never
# contains them.
zpty -w kd 'compadd() { local a; for a in "$@"; do [[ $a == -- ]] && break; [[ $a == -[OAD]* ]] && { builtin compadd "$@"; return; }; done; local -a kd_hits; builtin compadd -A kd_hits "$@"; local h; for h in $kd_hits; do print -r -- "${:-KD}-MATCH:$h"; done; builtin compadd "$@"; }'
zpty -w kd 'kd_end() { print -r -- ${:-KD}-END; exit; }; comppostfuncs=(kd_end)'
zpty -w kd 'bindkey "^I" complete-word; zstyle ":completion:*" insert-tab false'
zpty -n -w kd "$line"$'\t'
local out
while zpty -r kd out; do
  print -rn -- "$out"
  [[ $out == *KD-END* ]] && break
done
zpty -d kd
