import { describe, expect, it } from 'vitest';
import { lsbReleaseRestated } from '../../../src/reads/facts/distribution.js';

// What Debian 12's lsb_release (lsb-release-minimal 12.0-1) printed for `-a` on a lab host, given
// each os-release through LSB_OS_RELEASE: the restatement must print the same.
const CASES: readonly { name: string; osRelease: string; printed: string }[] = [
  {
    name: "Debian 12's own os-release",
    osRelease:
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n',
    printed: 'Distributor ID:\tDebian\nDescription:\tDebian GNU/Linux 12 (bookworm)\nRelease:\t12\nCodename:\tbookworm',
  },
  {
    name: 'NAME equal to ID but for case wins, missing fields are n/a',
    osRelease: 'ID=ubuntu\nNAME="Ubuntu"\nVERSION_ID="24.04"\n',
    printed: 'Distributor ID:\tUbuntu\nDescription:\tn/a\nRelease:\t24.04\nCodename:\tn/a',
  },
  {
    name: 'a testing release without VERSION_ID',
    osRelease: 'ID=debian\nNAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux trixie/sid"\n',
    printed: 'Distributor ID:\tDebian\nDescription:\tDebian GNU/Linux trixie/sid\nRelease:\tn/a\nCodename:\tn/a',
  },
];

describe("lsb_release restated from os-release (Debian 12's lsb-release-minimal)", () => {
  it.each(CASES)('$name', ({ osRelease, printed }) => expect(lsbReleaseRestated(osRelease)).toBe(printed));
});
