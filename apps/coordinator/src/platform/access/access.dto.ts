// Bodies of the access endpoints, validated at the edge.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { NAME_PATTERN } from '../shared/names';
import { ROLES, type Role } from './credentials';

export class LoginDto {
  @ApiProperty() @IsString() @Length(1, 128) username!: string;
  @ApiProperty() @IsString() @Length(1, 1024) password!: string;
}

export class CreateUserDto {
  @ApiProperty({ pattern: NAME_PATTERN.source }) @IsString() @Matches(NAME_PATTERN, { message: 'username must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit' }) username!: string;
  @ApiProperty({ minLength: 8 }) @IsString() @Length(8, 1024) password!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @Length(8, 1024) password?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}
