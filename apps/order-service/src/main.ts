import { bootstrapApp } from '@orders/service-runtime';
import { OrderModule } from './app.module';
import { orderConfig, SERVICE_NAME } from './config';

const config = orderConfig();
void bootstrapApp(OrderModule.forRoot(config), { name: SERVICE_NAME, port: config.PORT, host: config.HOST, consumesMessages: true });
