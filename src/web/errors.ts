import { KindlingError } from '../errors.js';

/** A request the server refuses, with the HTTP status to answer and a message for the person who sent it. */
export class WebError extends KindlingError {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'WebError';
    this.statusCode = statusCode;
  }
}
