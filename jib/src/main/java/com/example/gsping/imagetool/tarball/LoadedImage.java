package com.example.gsping.imagetool.tarball;

import java.util.List;

/** One image taken from a tarball: its names ({@code REPOSITORY:TAG}) and image ID. */
public record LoadedImage(List<String> names, String imageId) {}
