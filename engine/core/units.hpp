#pragma once
// Area and length units. Names carry the unit (area_m2, area_mu); these helpers are the only place
// where conversion factors live. 1 mu (亩) = 2000/3 m2 exactly (PRC statutory definition: 15 mu = 1 ha).

namespace parksim::units {

inline constexpr double m2_per_mu = 2000.0 / 3.0;
inline constexpr double m2_per_ha = 10'000.0;
inline constexpr double m2_per_km2 = 1'000'000.0;

constexpr double m2_to_km2(double area_m2) noexcept { return area_m2 / m2_per_km2; }
constexpr double km2_to_m2(double area_km2) noexcept { return area_km2 * m2_per_km2; }
constexpr double m2_to_ha(double area_m2) noexcept { return area_m2 / m2_per_ha; }
constexpr double ha_to_m2(double area_ha) noexcept { return area_ha * m2_per_ha; }
constexpr double m2_to_mu(double area_m2) noexcept { return area_m2 * 3.0 / 2000.0; }
constexpr double mu_to_m2(double area_mu) noexcept { return area_mu * 2000.0 / 3.0; }
constexpr double km2_to_mu(double area_km2) noexcept { return m2_to_mu(km2_to_m2(area_km2)); }
constexpr double mu_to_km2(double area_mu) noexcept { return m2_to_km2(mu_to_m2(area_mu)); }

}  // namespace parksim::units
