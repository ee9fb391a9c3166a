/**
 * Ansible's filters, tests and lookups for the template engine (issue 15 items 2-4). The engine
 * merges these over Jinja's built-in ones.
 */
import type { Extensions } from '../extension.js';

export const ansibleExtensions: Extensions = { filters: {}, tests: {}, lookups: {} };
