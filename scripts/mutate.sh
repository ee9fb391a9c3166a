#!/usr/bin/env bash
# Tests that cannot fail are worse than none. For each test fixed to be able to fail, break the
# behaviour it names in the source, run that test alone, expect it RED, and put the file back.
#   bash scripts/mutate.sh            # every breakage
#   bash scripts/mutate.sh guard      # only breakages whose name contains "guard"
# Prints a table: breakage -> test -> red/GREEN. Exits 1 when any test stayed green (it cannot
# catch its breakage) or a breakage no longer applies (the source moved: update this script).
set -uo pipefail
cd "$(dirname "$0")/.."

# name | file | perl substitution (-0: the whole file is one string) | test file | test name filter
MUTATIONS=(
  "template error drops the variable name|src/template/render.ts|s/undefined variable '\\\$\\{missing\\}'\`, missing\)/undefined variable\`)/|test/unit/template.test.ts|names an undefined variable"
  "renderString swallows template errors|src/template/render.ts|s/throw explain\(err, template, vars\);/return '';/|test/unit/template.test.ts|names an undefined variable"
  "a module leaves the registry (meta)|src/registry/modules.ts|s/\n  meta,\n/\n/|test/unit/modules/modules.test.ts|meta"
  "a module joins the registry without cases|src/registry/modules.ts|s/\n  debug,\n/\n  debug,\n  { ...debug, name: 'debug_untested' },\n/|test/unit/modules/modules.test.ts|every registered module"
  "copy rewrites a file that is already right|src/modules/desired-file.ts|s/const same = [^;]+;/const same = false;/|test/unit/modules/modules.test.ts|copy twin"
  "command ignores its creates guard|src/modules/command.ts|s/if \(created\) return/if (false \&\& created) return/|test/unit/runner.test.ts|honours creates"
  "a template file's error drops its origin|src/engine/vars.ts|s/ \(in template \\\$\\{origin\\}\)//|test/unit/runner.test.ts|template file names it"
  "debug loses its message|src/modules/debug.ts|s/msg: args\.var !== undefined \? [^,]+, data/msg: undefined, data/|test/unit/modules/modules.test.ts|debug"
  "set_fact sets nothing|src/modules/debug.ts|s/facts: args,/facts: {},/|test/unit/modules/modules.test.ts|set_fact"
  "the retry file goes to the current directory|src/engine/runner.ts|s/const file = join\(this\.pb\.dir, /const file = join('.', /|test/unit/runner.test.ts|retry file"
  "did-you-mean never suggests|src/util/suggest.ts|s/  return best;\n/  return best \&\& undefined;\n/|test/unit/bad-input.test.ts|unknown"
  "connect retries stop on a refused connection|src/transport/connect-retry.ts|s/'ECONNREFUSED', //|test/unit/connect-retry.test.ts|retries a host"
  "known_hosts negation is ignored|src/transport/openssh-pattern.ts|s/if \(negated\) return 'negated';/if (negated) continue;/|test/unit/known-hosts.test.ts|negated"
  "host pattern sets lose [!...]|src/config/patterns.ts|s/set\.startsWith\('!'\) \?/false ?/|test/unit/patterns.test.ts|negated sets"
  "large diffs give up and show the whole file replaced|src/report/diff.ts|s/maxEditLength: MAX_EDIT_LENGTH/maxEditLength: 1/|test/unit/diff.test.ts|large file"
  "linear lets a host start the next task early|src/engine/strategy.ts|s/if \\(this\\.opts\\.strategy === 'linear' && w\\.key !== this\\.current\\) continue;//|test/unit/strategy.test.ts|linear: every host ends"
  "a role runs again in the same play|src/config/task-list.ts|s/if \\(ctx\\.seenRoles\\.has\\(key\\) && /if (false \\&\\& /|test/unit/playbook-structure.test.ts|a role runs once per play"
  "a failure in a block skips its rescue|src/engine/task-tree.ts|s/if \\(failure && rescue\\.length > 0 && host\\.failed\\(\\)\\)/if (false)/|test/unit/task-tree.test.ts|rescue runs after a failure"
  "ssh_config: the last value wins|src/transport/ssh-config.ts|s/if \\(!this\\.values\\.has\\(k\\)\\) this\\.values\\.set\\(k, args\\);/this.values.set(k, args);/|test/unit/ssh-config.test.ts|conformance"
  "INI host ranges lose their zero padding|src/config/host-pattern.ts|s/String\\(i\\)\\.padStart\\(width, '0'\\)/String(i)/|test/unit/inventory-ini.test.ts|expands ranges"
  "loops: with_items stops flattening one level|src/jinja/ansible/lookups/lists.ts|s/if \\(Array\\.isArray\\(t\\)\\) out\\.push\\(\\.\\.\\.t\\);/if (false) out.push(...t);/|test/unit/loop.test.ts|with_items flattens one level"
  "loops: when is decided once, not per item|src/engine/runner.ts|s/falseCondition\\(task, itemVarsLazy\\)/falseCondition(task, lazyVars({ ...raw, ...itemVars(settings, items, 0) }))/|test/unit/loop-run.test.ts|when per item"
  "taint: a value derived from a secret stays plain|src/secrets.ts|s/addDerived\\(value: unknown\\): void \\{/addDerived(value: unknown): void {\\n    return;/|test/unit/taint.test.ts|through filters"
  "taint: the plain values a secret passes on turn secret|src/secrets.ts|s/this\\.addDeep\\(value, passed\\);/this.addDeep(value);/|test/unit/taint.test.ts|only passes on stay plain"
  "plan: apply runs a decision the plan does not have|src/plan/enforcer.ts|s/if \\(sameChanges\\(planned\\.changes, got\\)\\)/if (true)/|test/unit/plan-apply.test.ts|a decision that differs"
  "plan: a changed template refuses every host|src/core/input-files.ts|s/return attributing \\? readingHost\\.run\\(host, fn\\) : fn\\(\\);/return fn();/|test/unit/plan-apply.test.ts|only the hosts whose tasks read it"
  "plan: a secret is hashed with plain sha256|src/plan/changes.ts|s/return secret \\? \\{ hmac/return false ? { hmac/|test/unit/plan-apply.test.ts|hashed with the plan key"
  "plan: drift on a host goes unnoticed|src/plan/drift.ts|s/else if \\(!sameState\\(r, readState\\(q, a\\.value\\), digest\\)\\)/else if (false)/|test/unit/plan-apply.test.ts|state changed after the plan"
  "become: a task keyword beats the host's become variables|src/engine/become.ts|s/text\\(fromVars\\(vars, varNames\\(setting, method\\)\\) \\?\\? keywords\\[setting\\]/text(keywords[setting] ?? fromVars(vars, varNames(setting, method))/|test/unit/become.test.ts|host variables win"
  "become: sudo without a password may wait for one|src/transport/become.ts|s/\\? words : \\[\\.\\.\\.words, '-n'\\]/? words : words/|test/unit/become.test.ts|sudo without a password"
)

SAVED=$(mktemp -d)
tree_before=$(git diff -- src | sha1sum)
current=""
restore() {
  if [ -n "$current" ]; then cp "$SAVED/original" "$current"; fi
  current=""
}
cleanup() {
  restore
  # a breakage of the retry file's place would leave it in the repository
  [ -e pb.retry ] && [ ! -e "$SAVED/had-pb-retry" ] && rm -f pb.retry
  rm -rf "$SAVED"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -e pb.retry ] && touch "$SAVED/had-pb-retry"

filter="${1:-}"
rows=()
failures=0
for m in "${MUTATIONS[@]}"; do
  IFS='|' read -r name file subst test pattern <<<"$m"
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  cp "$file" "$SAVED/original"
  current="$file"
  perl -0pi -e "$subst" "$file"
  if cmp -s "$file" "$SAVED/original"; then
    verdict="NOT APPLIED"
    failures=$((failures + 1))
  elif npx vitest run --project unit "$test" -t "$pattern" >"$SAVED/log" 2>&1; then
    verdict="GREEN (missed)"
    failures=$((failures + 1))
  elif grep -q "Tests .*failed" "$SAVED/log"; then
    verdict="red"
  else
    verdict="ERROR (see below)"
    failures=$((failures + 1))
    tail -20 "$SAVED/log" >&2
  fi
  restore
  rows+=("$name|$test -t \"$pattern\"|$verdict")
done

printf '%-55s %-75s %s\n' "breakage" "test" "result"
for r in "${rows[@]}"; do
  IFS='|' read -r a b c <<<"$r"
  printf '%-55s %-75s %s\n' "$a" "$b" "$c"
done
[ "$(git diff -- src | sha1sum)" = "$tree_before" ] || {
  echo "src/ differs from before the run" >&2
  failures=$((failures + 1))
}
[ "$failures" -eq 0 ]
