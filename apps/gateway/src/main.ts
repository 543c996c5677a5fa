import { bootstrapApp } from '@orders/service-runtime';
import { GatewayModule } from './app.module';
import { gatewayConfig, SERVICE_NAME } from './config';
import { configureEdge } from './interface/edge';

const config = gatewayConfig();
void bootstrapApp(GatewayModule.forRoot(config), {
  name: SERVICE_NAME,
  port: config.PORT,
  host: config.HOST,
  consumesMessages: false,
  configureHttp: configureEdge(config),
  edge: true,
});
