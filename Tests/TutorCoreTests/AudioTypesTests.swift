import Testing

@testable import TutorCore

@Suite struct InterleavedAudioTests {
    @Test func mixingStereoToMonoAveragesTheChannels() {
        let stereo = InterleavedAudio(samples: [1, 0, 0.5, 0.5, -1, 1], sampleRateHz: 48_000, channelCount: 2)
        let mono = stereo.mixedToMono()
        #expect(mono.samples == [0.5, 0.5, 0])
        #expect(mono.sampleRateHz == 48_000)
    }

    @Test func cacheDirectoryFollowsTheEnvironmentInOrder() {
        #expect(TutorPaths.cacheDirectory(environment: ["VOICETUTOR_CACHE": "/x/y", "HOME": "/h"]).path == "/x/y")
        #expect(TutorPaths.cacheDirectory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]).path == "/c/voicetutor")
        #expect(TutorPaths.cacheDirectory(environment: ["HOME": "/h"]).path == "/h/.cache/voicetutor")
    }
}
