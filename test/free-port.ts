// One picker for the whole process: two tests' servers must never be told the same port.
export { freePort } from '../scripts/lib/free-port';
