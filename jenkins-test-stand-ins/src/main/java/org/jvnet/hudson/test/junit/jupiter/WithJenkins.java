package org.jvnet.hudson.test.junit.jupiter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in (jenkins-test-harness). The real one is meta-annotated {@code @ExtendWith(JenkinsExtension.class)}; this
 * one is not, on purpose: the classes compiled against it are never run here.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface WithJenkins {
}
