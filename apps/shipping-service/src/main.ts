import { bootstrapApp } from '@orders/service-runtime';
import { ShippingModule } from './app.module';
import { SERVICE_NAME, shippingConfig } from './config';

const config = shippingConfig();
void bootstrapApp(ShippingModule.forRoot(config), { name: SERVICE_NAME, port: config.PORT, host: config.HOST, consumesMessages: true });
