import { runUntilSignalled } from './json-http';
import { createPaymentProviderSimulator } from './payment-provider';

runUntilSignalled(createPaymentProviderSimulator, { name: 'payment-provider simulator', defaultPort: 4010 });
