// The platform's session with its own member and its start-up in the tree, shared by every platform module.
import { Module } from '@nestjs/common';
import { PlatformState } from './platform-state';
import { PlatformZk } from './platform-zk';

@Module({ providers: [PlatformZk, PlatformState], exports: [PlatformZk, PlatformState] })
export class PlatformSharedModule {}
