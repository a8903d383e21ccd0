/**
 * Neighbour rows of /proc/PID/net/arp (a header, then one row per IPv4 neighbour of that netns, any state).
 * Returns the number of rows whose first cell is an IPv4 address.
 */
export function countArpEntries(text: string): number {
  return text.split('\n').filter((line) => /^\d{1,3}(\.\d{1,3}){3}\s/.test(line)).length;
}
