import Testing

@testable import Audio

@Suite struct AudioDevicesTests {
    @Test func theListIncludesTheNullDeviceForBothDirections() {
        let null = AudioDevices.list().first { $0.name == "null" }
        #expect(null != nil)
        #expect(null?.direction == .both)
        #expect(null?.description.isEmpty == false)
    }

    @Test func alsaIOIDHintsMapToDirections() {
        #expect(AudioDeviceDirection(alsaIOID: "Input") == .capture)
        #expect(AudioDeviceDirection(alsaIOID: "Output") == .playback)
        #expect(AudioDeviceDirection(alsaIOID: nil) == .both)
        #expect(AudioDeviceDirection.capture.canCapture && !AudioDeviceDirection.capture.canPlay)
    }

    @Test func descriptionsAreOneLine() {
        #expect(AudioDevices.list().allSatisfy { !$0.description.contains("\n") })
    }
}
