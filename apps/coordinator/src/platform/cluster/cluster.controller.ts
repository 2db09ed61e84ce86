// /api/v1/cluster (any member answers for all), /api/v1/cluster/self (what a member tells its peers) and
// /api/v1/sessions (this member's clients).
import { Controller, Get, Headers, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../access/auth.guard';
import { ClusterService, type ClusterStatus, type MemberStatus } from './cluster.service';

@ApiTags('cluster')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('api/v1')
export class ClusterController {
  constructor(@Inject(ClusterService) private readonly cluster: ClusterService) {}

  @Get('cluster')
  status(@Headers('authorization') authorization: string | undefined): Promise<ClusterStatus> {
    return this.cluster.cluster(authorization);
  }

  @Get('cluster/self')
  self(): MemberStatus {
    return this.cluster.self();
  }

  @Get('sessions')
  sessions(): ReturnType<ClusterService['sessions']> {
    return this.cluster.sessions();
  }
}
