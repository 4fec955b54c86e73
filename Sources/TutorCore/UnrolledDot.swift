/// The dot product of two Float runs, with four partial sums added in a fixed order.
///
/// Small signal loops (the resampler's filter taps, Silero VAD's convolutions and LSTM) use it: the four sums let
/// the compiler keep them in registers and vectorize in release builds, and the fixed order makes the result depend
/// only on the data, never on how a stream was chunked. Large matrix products use the Kernels target instead.
@inlinable
public func unrolledDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var sum0: Float = 0
    var sum1: Float = 0
    var sum2: Float = 0
    var sum3: Float = 0
    var index = 0
    while index + 4 <= count {
        sum0 += a[index] * b[index]
        sum1 += a[index + 1] * b[index + 1]
        sum2 += a[index + 2] * b[index + 2]
        sum3 += a[index + 3] * b[index + 3]
        index += 4
    }
    while index < count {
        sum0 += a[index] * b[index]
        index += 1
    }
    return (sum0 + sum1) + (sum2 + sum3)
}
