import { runUntilSignalled } from './json-http';
import { createCarrierSimulator } from './carrier';

runUntilSignalled(createCarrierSimulator, { name: 'carrier simulator', defaultPort: 4011 });
