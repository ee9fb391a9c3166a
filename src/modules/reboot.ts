import { z } from 'zod';
import { quote } from '../shell/quote.js';
import { defineModule } from './types.js';

/**
 * What tells one boot from the next: the kernel's boot id (what Ansible reads), and the start
 * time of PID 1, which changes when a container reboots on a kernel that keeps running.
 */
const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id; cut -d " " -f 22 /proc/1/stat';

const seconds = z.coerce.number().int().min(0);

const schema = z.strictObject({
  reboot_timeout: seconds.default(600).describe('seconds to wait for the host to come back and pass test_command'),
  connect_timeout: seconds
    .optional()
    .describe('seconds for one connection attempt while waiting (default: the connect timeout of the host)'),
  pre_reboot_delay: seconds.default(0).describe('seconds before the reboot, given to shutdown in whole minutes (below 60: at once)'),
  post_reboot_delay: seconds.default(0).describe('seconds to wait after the reboot command before looking for the host'),
  test_command: z.string().default('whoami').describe('must succeed on the host before it counts as back'),
  msg: z.string().default('Reboot initiated by Ansible').describe('the message shutdown sends to logged-in users'),
  reboot_command: z.string().optional().describe('the command that reboots, instead of shutdown -r'),
  boot_time_command: z.string().default(BOOT_ID).describe('prints something that differs after a reboot'),
  search_paths: z.array(z.string()).optional().describe("accepted for Ansible's sake: shutdown is found on the PATH"),
});

export const reboot = defineModule({
  name: 'reboot',
  schema,
  async plan({ args, check }) {
    const command = args.reboot_command ?? `shutdown -r ${Math.floor(args.pre_reboot_delay / 60)} ${quote(args.msg)}`;
    // Ansible reports a reboot in check mode too (rebooted, elapsed 0) without doing it.
    return {
      changes: [
        {
          kind: 'reboot',
          description: 'reboot the host and wait for it to come back',
          reboot: {
            command,
            bootIdCommand: args.boot_time_command,
            testCommand: args.test_command,
            rebootTimeoutS: args.reboot_timeout,
            connectTimeoutS: args.connect_timeout,
            postRebootDelayS: args.post_reboot_delay,
          },
        },
      ],
      data: check ? { rebooted: true, elapsed: 0 } : {},
    };
  },
});
