import { bootstrapApp } from '@orders/service-runtime';
import { GatewayModule } from './app.module';
import { gatewayConfig, SERVICE_NAME } from './config';

const config = gatewayConfig();
void bootstrapApp(GatewayModule.forRoot(config), { name: SERVICE_NAME, port: config.PORT, host: config.HOST, consumesMessages: false });
