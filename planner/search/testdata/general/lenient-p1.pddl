; Optimal: 4 steps. The truck must drive at least once (only driving
; makes a vehicle visited), the van cannot drive but hauls anywhere, and
; rest makes idle: drive t p1 p2, haul v p1 p3, haul v p3 p2, rest (or the
; truck drives on to p3 and the van hauls straight to p2).
(define (problem lenient-p1) (:domain lenient)
  (:objects t - truck v - van p1 p2 p3 - place)
  (:init (at t p1) (at v p1) (road p1 p2) (road p2 p3) (not (road p1 p3)))
  (:goal (and (visited p3) (at v p2) (idle) (not (van t))
              (forall (?x - vehicle) (imply (truck ?x) (visited ?x))))))
