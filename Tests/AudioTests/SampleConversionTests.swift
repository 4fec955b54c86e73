import Testing

@testable import Audio

@Suite struct SampleConversionTests {
    private func roundTrip(_ samples: [Float], _ format: PCMSampleFormat) -> [Float] {
        var bytes: [UInt8] = []
        SampleConversion.encode(samples[...], format: format, into: &bytes)
        #expect(bytes.count == samples.count * format.bytesPerSample)
        var floats: [Float] = []
        bytes.withUnsafeBytes {
            SampleConversion.appendFloats(from: $0, format: format, count: samples.count, to: &floats)
        }
        return floats
    }

    @Test(arguments: PCMSampleFormat.allCases)
    func everyFormatRoundTripsWithinOneStepOfItsResolution(_ format: PCMSampleFormat) {
        let samples: [Float] = [0, 0.5, -0.5, 0.25, -1, 0.999, -0.123_456]
        let step: Float =
            switch format {
            case .s16LE: 1 / 32_768
            case .s24LE3: 1 / 8_388_608
            case .s32LE, .floatLE: 1e-7
            }
        #expect(Signals.maxDifference(roundTrip(samples, format), samples) <= step)
    }

    @Test func fullScaleClipsInsteadOfWrappingAround() {
        #expect(roundTrip([1.5, -1.5], .s16LE) == [32_767 / 32_768, -1])
        #expect(roundTrip([1.5, -1.5], .s24LE3) == [8_388_607 / 8_388_608, -1])
    }
}
