/**
 * Every feature of the bot, in the order help lists their commands. To add one: a folder under src/features/ that
 * exports one FeatureFactory, and one line here (see ARCHITECTURE.md).
 */
import { answersFeature } from '../features/answers/feature.js';
import { digestFeature } from '../features/digest/feature.js';
import { doctorFeature } from '../features/doctor/feature.js';
import { guideFeature } from '../features/guide/feature.js';
import { healthFeature } from '../features/health/feature.js';
import { helpFeature } from '../features/help/feature.js';
import { homeFeature } from '../features/home/feature.js';
import { threadsFeature } from '../features/threads/feature.js';
import type { FeatureFactory } from './runtime.js';

export const FEATURES: readonly FeatureFactory[] = [
  answersFeature,
  healthFeature,
  threadsFeature,
  guideFeature,
  digestFeature,
  homeFeature,
  doctorFeature,
  helpFeature,
];
