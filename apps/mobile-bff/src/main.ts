import { CallerTokenVerifier } from '@orders/caller-tokens';
import { bootstrapApp } from '@orders/service-runtime';
import { MobileBffModule } from './app.module';
import { mobileBffConfig, SERVICE_NAME } from './config';

const config = mobileBffConfig();
void bootstrapApp(MobileBffModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: false,
  callers: new CallerTokenVerifier(config.CALLER_TOKEN_PUBLIC_KEY),
});
