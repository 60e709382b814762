package com.example.gsping.images;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that only root can run, with the reason ({@link #value()}): tagged {@code root}, so that {@code -Dgroups=root}
 * runs just these (as root) and {@code -DexcludedGroups=root} leaves them out, and disabled with its reason when this
 * JVM's user is not root. Every other test runs as a plain user in the docker group.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(NeedsRoot.AsRoot.class)
@interface NeedsRoot {

    /** Why root, in one line. */
    String value();

    /** Enables a {@link NeedsRoot} test as root, disables it with its reason for any other user. */
    final class AsRoot implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = AnnotationSupport.findAnnotation(context.getElement(), NeedsRoot.class).map(NeedsRoot::value).orElse(null);
            if (reason == null || new UnixSystem().getUid() == 0) {
                return ConditionEvaluationResult.enabled("root, or no @NeedsRoot here");
            }
            return ConditionEvaluationResult.disabled("needs root: " + reason);
        }
    }
}
