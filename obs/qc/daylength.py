"""Astronomical day length, for the sunshine-duration check (domain specification §4.12).

The CBM model of Forsythe, Rykiel, Stahl, Wu and Schoolfield (1995), "A model comparison for
daylength as a function of latitude and day of year", *Ecological Modelling* 80: 87–95,
equations 1–3. With the default sun angle p = 0.8333° (top of the solar disc on the apparent
horizon, refraction included) it reproduces published sunrise-to-sunset times within about a
minute below 40° latitude; with p = 0 it is the geometric day length (12 h at the equator).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from schemas.qc_rules import DEFAULT_QC_RULES

FloatArray = npt.NDArray[np.float64]


def solar_declination(day_of_year: npt.ArrayLike) -> FloatArray:
    """Solar declination of day ``day_of_year`` (1 = 1 January). [rad]

    CBM eq. 1–2 (Forsythe et al. 1995): revolution angle θ from the day, then
    δ = asin(0.39795 cos θ).
    """
    day = np.asarray(day_of_year, dtype=np.float64)
    theta = 0.2163108 + 2.0 * np.arctan(0.9671396 * np.tan(0.00860 * (day - 186.0)))
    return np.arcsin(0.39795 * np.cos(theta))


def day_length_hours(
    latitude: npt.ArrayLike,
    day_of_year: npt.ArrayLike,
    sun_angle: float = DEFAULT_QC_RULES.day_length_sun_angle,
) -> FloatArray:
    """Astronomical day length, sunrise to sunset. [h]

    Parameters
    ----------
    latitude
        Latitude, north positive. [°]
    day_of_year
        Day of the year, 1 = 1 January. [-]
    sun_angle
        Angle of the sun's centre below the horizon at sunrise and sunset. [°]

    Returns
    -------
    numpy.ndarray
        Day length (CBM eq. 3, Forsythe et al. 1995); 0 in polar night, 24 in polar day. [h]

    Examples
    --------
    At 29.8 °N (Beibei) about 10.2 h at the winter and 14.1 h at the summer solstice.
    """
    lat = np.radians(np.asarray(latitude, dtype=np.float64))
    dec = solar_declination(day_of_year)
    cos_hour = (np.sin(np.radians(sun_angle)) + np.sin(lat) * np.sin(dec)) / (
        np.cos(lat) * np.cos(dec)
    )
    hours = 24.0 - (24.0 / np.pi) * np.arccos(np.clip(cos_hour, -1.0, 1.0))
    return np.asarray(hours, dtype=np.float64)
