import { createHmac } from 'node:crypto';

/** HMAC-SHA256 of `payload` keyed by `secret`, hex encoded (Binance, Bybit family, BitMEX, BitMart, BingX). */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** HMAC-SHA256 of `payload` keyed by `secret`, base64 encoded (OKX). */
export function hmacSha256Base64(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64');
}
