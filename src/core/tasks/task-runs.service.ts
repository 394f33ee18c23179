import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TaskRun } from './task-run.entity.js';

/** Reads task run history. */
@Injectable()
export class TaskRunsService {
  constructor(@InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>) {}

  find(id: string): Promise<TaskRun | null> {
    return this.runs.findOneBy({ id });
  }
}
