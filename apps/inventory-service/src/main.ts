import { CallerTokenVerifier } from '@orders/caller-tokens';
import { bootstrapApp } from '@orders/service-runtime';
import { InventoryModule } from './app.module';
import { inventoryConfig, SERVICE_NAME } from './config';

const config = inventoryConfig();
void bootstrapApp(InventoryModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: true,
  callers: new CallerTokenVerifier(config.CALLER_TOKEN_PUBLIC_KEY),
});
