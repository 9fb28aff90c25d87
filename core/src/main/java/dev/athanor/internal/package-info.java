/** Internals shared by Athanor's packages: error translation, secret scrubbing, the echo log. Not API. */
package dev.athanor.internal;
