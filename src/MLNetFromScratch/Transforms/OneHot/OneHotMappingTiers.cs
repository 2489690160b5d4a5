using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

// One sealed factory per padded tier and input kind. The contract names are part of the saved model format:
// never change one; add a new version beside it.

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key4.v1")]
internal sealed class OneHotKeyVector4 : OneHotKeyMapping<PaddedVector4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key16.v1")]
internal sealed class OneHotKeyVector16 : OneHotKeyMapping<PaddedVector16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key64.v1")]
internal sealed class OneHotKeyVector64 : OneHotKeyMapping<PaddedVector64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key256.v1")]
internal sealed class OneHotKeyVector256 : OneHotKeyMapping<PaddedVector256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key1024.v1")]
internal sealed class OneHotKeyVector1024 : OneHotKeyMapping<PaddedVector1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key4096.v1")]
internal sealed class OneHotKeyVector4096 : OneHotKeyMapping<PaddedVector4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key16384.v1")]
internal sealed class OneHotKeyVector16384 : OneHotKeyMapping<PaddedVector16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Key65536.v1")]
internal sealed class OneHotKeyVector65536 : OneHotKeyMapping<PaddedVector65536>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number4.v1")]
internal sealed class OneHotNumberVector4 : OneHotNumberMapping<PaddedVector4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number16.v1")]
internal sealed class OneHotNumberVector16 : OneHotNumberMapping<PaddedVector16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number64.v1")]
internal sealed class OneHotNumberVector64 : OneHotNumberMapping<PaddedVector64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number256.v1")]
internal sealed class OneHotNumberVector256 : OneHotNumberMapping<PaddedVector256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number1024.v1")]
internal sealed class OneHotNumberVector1024 : OneHotNumberMapping<PaddedVector1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number4096.v1")]
internal sealed class OneHotNumberVector4096 : OneHotNumberMapping<PaddedVector4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number16384.v1")]
internal sealed class OneHotNumberVector16384 : OneHotNumberMapping<PaddedVector16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.OneHot.Number65536.v1")]
internal sealed class OneHotNumberVector65536 : OneHotNumberMapping<PaddedVector65536>;
