package io.jenkins.plugins.migrationrunbook.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobPatternTest {

    @Test
    void fullNameMatchesOnlyItself() {
        JobPattern p = JobPattern.of("deploy/payments-prod");
        assertThat(p.isGlob()).isFalse();
        assertThat(p.matches("deploy/payments-prod")).isTrue();
        assertThat(p.matches("deploy/payments-prod2")).isFalse();
        assertThat(p.matches("x/deploy/payments-prod")).isFalse();
    }

    @Test
    void starStaysWithinOneFolderLevel() {
        JobPattern p = JobPattern.of("deploy/*");
        assertThat(p.matches("deploy/a")).isTrue();
        assertThat(p.matches("deploy/a/b")).isFalse();
        assertThat(p.matches("deploy")).isFalse();
        assertThat(JobPattern.of("deploy/*-prod").matches("deploy/payments-prod")).isTrue();
        assertThat(JobPattern.of("deploy/*-prod").matches("deploy/payments-staging")).isFalse();
    }

    @Test
    void doubleStarSpansFolderLevelsIncludingNone() {
        JobPattern p = JobPattern.of("**/auto-deploy");
        assertThat(p.matches("auto-deploy")).isTrue();
        assertThat(p.matches("team/auto-deploy")).isTrue();
        assertThat(p.matches("org/team/auto-deploy")).isTrue();
        assertThat(p.matches("org/team/auto-deploy-2")).isFalse();
        JobPattern under = JobPattern.of("deploy/**");
        assertThat(under.matches("deploy/a")).isTrue();
        assertThat(under.matches("deploy/a/b")).isTrue();
    }

    @Test
    void questionMarkIsOneCharacterAndRegexCharactersAreLiteral() {
        assertThat(JobPattern.of("svc-?").matches("svc-1")).isTrue();
        assertThat(JobPattern.of("svc-?").matches("svc-12")).isFalse();
        assertThat(JobPattern.of("a.b+c").matches("a.b+c")).isTrue();
        assertThat(JobPattern.of("a.b+c").matches("axbbc")).isFalse();
    }

    @Test
    void refusesPatternsThatWouldFreezeEverythingOrAreMalformed() {
        assertThat(JobPattern.problem("**")).contains("every job");
        assertThat(JobPattern.problem("*")).contains("every job");
        assertThat(JobPattern.problem("/deploy")).contains("leading or trailing");
        assertThat(JobPattern.problem(" ")).contains("empty");
        assertThatThrownBy(() -> JobPattern.of("**")).isInstanceOf(IllegalArgumentException.class);
    }
}
