package dev.freshen.docker;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildLogTest {

    @Test
    void keepsTheTailTheWarningsAndTheCurrentClassicStep() {
        BuildLog log = new BuildLog(2);
        log.append("Step 1/3 : FROM base\n ---> 1234\nStep 2/3 : RUN make\n");
        log.append("[Warning] one or more build-args were not consumed\nStep 3/3 : RUN exit 3\nboom\n");
        assertEquals("Step 3/3 : RUN exit 3", log.currentStep());
        assertEquals("Step 3/3 : RUN exit 3\nboom", log.tail());
        assertEquals(List.of("[Warning] one or more build-args were not consumed"), log.warnings());
        assertEquals(6, log.lineCount());
    }

    @Test
    void redactedValuesNeverReachTheTailTheWarningsOrTheStep() {
        BuildLog log = new BuildLog(10);
        log.redact(List.of("s3cret-pw", "abc"));
        log.append("Step 1/2 : RUN echo s3cret-pw\nwarning: login s3cret-pw\nabc stays (too short to look for)\n");
        assertEquals("Step 1/2 : RUN echo ***", log.currentStep());
        assertEquals(List.of("warning: login ***"), log.warnings());
        assertEquals("Step 1/2 : RUN echo ***\nwarning: login ***\nabc stays (too short to look for)", log.tail());
    }

    @Test
    void understandsBuildKitProgress() {
        BuildLog log = new BuildLog(10);
        log.append("#5 [build 2/3] RUN dotnet restore\n#5 0.3 restoring\n#6 [stage-1 3/3] COPY --chmod=755 a /a\n");
        assertEquals("#6 [stage-1 3/3] COPY --chmod=755 a /a", log.currentStep());
    }

    @Test
    void recognisesCompilerWarnings() {
        BuildLog log = new BuildLog(10);
        log.append("#9 4.2 Program.cs(3,5): warning CS0168: The variable 'x' is declared but never used [/src/app.csproj]\n");
        log.append("#9 4.3 Build succeeded. 0 Warning(s)\n");
        log.append("Step 2/5 : RUN echo \"x.cs(1,1): warning CS0168: not a warning, the command that prints it\"\n");
        assertEquals(1, log.warnings().size());
    }

    @Test
    void keepsNoColoursOrProgressBarRedraws() {
        BuildLog log = new BuildLog(10);
        log.append("\u001B[32mStep 1/2 : RUN npm ci\u001B[0m\n10%\r55%\r100%\n\u001B[33mnpm warn: deprecated\u001B[0m\n");
        assertEquals("Step 1/2 : RUN npm ci\n100%\nnpm warn: deprecated", log.tail());
        assertEquals("Step 1/2 : RUN npm ci", log.currentStep());
    }
}
