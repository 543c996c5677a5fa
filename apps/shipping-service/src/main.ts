import { CallerTokenVerifier } from '@orders/caller-tokens';
import { bootstrapApp } from '@orders/service-runtime';
import { ShippingModule } from './app.module';
import { SERVICE_NAME, shippingConfig } from './config';

const config = shippingConfig();
void bootstrapApp(ShippingModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: true,
  callers: new CallerTokenVerifier(config.CALLER_TOKEN_PUBLIC_KEY),
});
