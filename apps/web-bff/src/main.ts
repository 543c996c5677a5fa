import { CallerTokenVerifier } from '@orders/caller-tokens';
import { bootstrapApp } from '@orders/service-runtime';
import { WebBffModule } from './app.module';
import { SERVICE_NAME, webBffConfig } from './config';

const config = webBffConfig();
void bootstrapApp(WebBffModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: false,
  callers: new CallerTokenVerifier(config.CALLER_TOKEN_PUBLIC_KEY),
});
