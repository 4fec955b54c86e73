import Audio

extension DoctorCommand {
    /// Lists devices and tries the default capture and playback devices the way the tutor would open them.
    func checkSound(_ report: inout DoctorReport) {
        report.section("sound")
        let devices = AudioDevices.list()
        let capture = devices.filter { $0.direction.canCapture }.map(\.name)
        let playback = devices.filter { $0.direction.canPlay }.map(\.name)
        report.info("capture devices: \(capture.isEmpty ? "none" : capture.joined(separator: ", "))")
        report.info("playback devices: \(playback.isEmpty ? "none" : playback.joined(separator: ", "))")
        if !AudioDevices.hasSoundCard {
            report.warn(
                "no sound card found",
                fix: "plug in a USB microphone and speaker, or use --mic-file FILE (virtual microphone) for testing")
        }
        for direction in [PCMDirection.capture, .playback] {
            switch AudioDevices.probe("default", direction: direction) {
            case .success(let configuration):
                report.ok("default \(direction.rawValue) device opens: \(configuration)")
            case .failure(let error):
                report.warn("\(error)", fix: "pick a device from the lists above with --device (e.g. plughw:1,0)")
            }
        }
        switch AudioDevices.probe("null", direction: .playback) {
        case .success: report.ok("ALSA's null device works (tests and the virtual microphone use it)")
        case .failure(let error): report.fail("\(error)", fix: "reinstall alsa-utils / libasound2 (apt-get install)")
        }
    }
}
