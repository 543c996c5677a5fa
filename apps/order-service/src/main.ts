import { CallerTokenVerifier } from '@orders/caller-tokens';
import { bootstrapApp } from '@orders/service-runtime';
import { OrderModule } from './app.module';
import { orderConfig, SERVICE_NAME } from './config';

const config = orderConfig();
void bootstrapApp(OrderModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: true,
  callers: new CallerTokenVerifier(config.CALLER_TOKEN_PUBLIC_KEY),
});
