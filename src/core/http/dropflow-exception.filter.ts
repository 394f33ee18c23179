import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DropflowError } from '../errors.js';

/** Answers Dropflow's own errors with their HTTP status and operator message. */
@Catch(DropflowError)
export class DropflowExceptionFilter implements ExceptionFilter {
  catch(error: DropflowError, host: ArgumentsHost) {
    const problems = (error as { problems?: string[] }).problems;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(error.httpStatus)
      .json({ statusCode: error.httpStatus, error: error.name, message: error.message, ...(problems ? { problems } : {}) });
  }
}
