import type { PathsObject } from '@nestjs/swagger';
import { orderDetailsSchema, orderPageQuerySchema, orderSummaryPageSchema, orderSummarySchema, orderViewSchema } from '@orders/contracts';
import { API_ERRORS, AUTHENTICATED_ROUTE_ERRORS, UPSTREAM_ERRORS } from './api-errors';
import { degradedOrderDetailsExample, EXAMPLE_CURSOR, EXAMPLE_ORDER_ID, orderDetailsExample, orderSummaryExample } from './examples';
import { ApiErrorCase, errorResponses, jsonResponse, pathParameter, queryParameters } from './openapi-objects';

export const WEB_BFF_TAG = 'web BFF';
export const MOBILE_BFF_TAG = 'mobile BFF';

const orderIdParameter = pathParameter('id', orderViewSchema.shape.orderId, EXAMPLE_ORDER_ID);
const bffErrors = (...specific: ApiErrorCase[]) => errorResponses([API_ERRORS.validationFailed, ...specific, ...AUTHENTICATED_ROUTE_ERRORS, ...UPSTREAM_ERRORS]);

/**
 * The routes of the backends-for-frontends. The gateway forwards everything under /api/web and
 * /api/mobile on the same path (BffProxyController) without knowing these routes itself, so they
 * are described here, from the contracts the BFFs answer with.
 */
export const BFF_PATHS: PathsObject = {
  '/api/web/v1/orders/{id}': {
    get: {
      operationId: 'webBff.getOrder',
      tags: [WEB_BFF_TAG],
      summary: 'An order with its payment, shipment and products',
      description:
        'Reads everything at once. Only the order is essential: when the payment, shipment or product details cannot be read right now, they are `null` and named in `degraded`, and the answer is still 200. A payment or shipment that does not exist yet is just `null`.',
      parameters: [orderIdParameter],
      responses: {
        200: jsonResponse('The order page.', orderDetailsSchema, {
          complete: { summary: 'Everything could be read', value: orderDetailsExample },
          degraded: { summary: 'Shipping and inventory are unavailable', value: degradedOrderDetailsExample },
        }),
        ...bffErrors(API_ERRORS.orderNotFound),
      },
    },
  },
  '/api/mobile/v1/orders': {
    get: {
      operationId: 'mobileBff.listOrders',
      tags: [MOBILE_BFF_TAG],
      summary: "The caller's orders, lean, newest first",
      parameters: queryParameters(orderPageQuerySchema),
      responses: {
        200: jsonResponse('A page of order summaries; pass `nextCursor` as `cursor` for the next one (null on the last page).', orderSummaryPageSchema, {
          page: { summary: 'A page with more to come', value: { items: [orderSummaryExample], nextCursor: EXAMPLE_CURSOR } },
        }),
        ...bffErrors(API_ERRORS.invalidCursor),
      },
    },
  },
  '/api/mobile/v1/orders/{id}': {
    get: {
      operationId: 'mobileBff.getOrder',
      tags: [MOBILE_BFF_TAG],
      summary: 'One order, lean',
      parameters: [orderIdParameter],
      responses: {
        200: jsonResponse('The order at a glance.', orderSummarySchema, { confirmed: { summary: 'A confirmed order', value: orderSummaryExample } }),
        ...bffErrors(API_ERRORS.orderNotFound),
      },
    },
  },
};
