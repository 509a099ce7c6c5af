package org.springframework.security.core;

import java.io.Serializable;
import java.security.Principal;

/** Stand-in: who is acting. */
public interface Authentication extends Principal, Serializable {
}
