export * from './bootstrap';
export * from './caller';
export * from './config';
export * from './deadline.middleware';
export * from './http-error.filter';
export * from './request-id.middleware';
export * from './sweep-loop';
export * from './zod-validation.pipe';
