// Bodies of the config endpoints, validated at the edge.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { CONTENT_TYPES, type ContentType } from './content-types';

const VALUE_MAX = 1_000_000;

export class PutValueDto {
  @ApiProperty() @IsString() @MaxLength(VALUE_MAX) value!: string;
  @ApiProperty({ enum: CONTENT_TYPES }) @IsIn(CONTENT_TYPES) contentType!: ContentType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1024) comment?: string;
}

export class RollbackDto {
  @ApiProperty() @IsInt() @Min(0) revision!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1024) comment?: string;
}

export class GrayDto {
  @ApiProperty() @IsString() @MaxLength(VALUE_MAX) value!: string;
  @ApiProperty({ enum: CONTENT_TYPES }) @IsIn(CONTENT_TYPES) contentType!: ContentType;
  @ApiProperty({ type: [String], description: 'instance ids or hosts that get the gray value' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @Length(1, 253, { each: true }) targets!: string[];
}

export class ImportItemDto {
  @ApiProperty() @IsString() @Length(1, 128) group!: string;
  @ApiProperty() @IsString() @Length(1, 128) key!: string;
  @ApiProperty() @IsString() @MaxLength(VALUE_MAX) value!: string;
  @ApiProperty({ enum: CONTENT_TYPES }) @IsIn(CONTENT_TYPES) contentType!: ContentType;
}

export class ImportDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) namespace?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() exportedAt?: number;
  @ApiProperty({ type: [ImportItemDto] }) @IsArray() @ArrayMaxSize(10_000) @ValidateNested({ each: true }) @Type(() => ImportItemDto) items!: ImportItemDto[];
}
